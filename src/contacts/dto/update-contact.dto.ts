import { PartialType } from '@nestjs/swagger';
import { CreateContactDto } from './create-contact.dto';

/**
 * Any field of a contact. Null clears an optional field; `skipNullProperties: false` makes a
 * null name, email or country a 400 instead of a failed insert into a NOT NULL column.
 */
export class UpdateContactDto extends PartialType(CreateContactDto, {
  skipNullProperties: false,
}) {}
