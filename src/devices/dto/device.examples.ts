import type { ExamplesObject } from '@nestjs/swagger';

/** Request bodies Swagger UI offers, as an operator would fill them in. */
export const DEVICE_EXAMPLES: ExamplesObject = {
  default: {
    summary: 'The default device (staging)',
    value: {
      name: 'Front desk',
      environment: 'staging',
      apiKey: 'sk_staging_4f9a2c7e1b3d5f60',
      accountId: '4711',
    },
  },
  workstation: {
    summary: "A workstation's own device (production)",
    value: {
      name: 'Desk 2, production',
      workstationId: 'desk-2',
      environment: 'production',
      apiKey: 'sk_live_8e1d4b6a9c2f7e30',
      apiVersion: '2026-03-02',
      accountId: '8888',
      webhookSecret: 'whsec_5b7d9f1a3c6e8d2b',
    },
  },
};
