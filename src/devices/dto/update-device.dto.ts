import { PartialType } from '@nestjs/swagger';
import { CreateDeviceDto } from './create-device.dto';

/** Any field of a device; secrets given here replace the stored ones. */
export class UpdateDeviceDto extends PartialType(CreateDeviceDto, { skipNullProperties: false }) {}
