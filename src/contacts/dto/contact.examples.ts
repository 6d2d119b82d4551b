import type { ExamplesObject } from '@nestjs/swagger';

/** Request bodies Swagger UI offers; each would pass registration's contact checks. */
export const CONTACT_EXAMPLES: ExamplesObject = {
  spanishCompany: {
    summary: 'A Spanish company with a valid NIF',
    value: {
      name: 'Pádel Club Bilbao SL',
      email: 'facturas@padelclubbilbao.example',
      vatNumber: 'ESB12345674',
      country: 'ES',
      address: 'Calle Gran Vía 45',
      city: 'Bilbao',
      postalCode: '48011',
      province: 'Bizkaia',
      language: 'es',
    },
  },
  frenchAgency: {
    summary: 'A French translation client',
    value: {
      name: 'Éditions Lumière SARL',
      email: 'compta@editions-lumiere.example',
      vatNumber: 'FR40303265045',
      country: 'FR',
      city: 'Lyon',
      language: 'fr',
    },
  },
};
