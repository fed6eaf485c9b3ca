import { doctorMessages as m } from '../messages.js';
import type { DoctorCheck } from '../types.js';

/** keyguard has no configuration file yet (DESIGN §5 plans cosmiconfig); until then it runs on defaults. */
export const configCheck: DoctorCheck = {
  id: 'config',
  title: 'config',
  needsRepo: true,
  async run() {
    return { status: 'ok', message: m.config.ok };
  },
};
