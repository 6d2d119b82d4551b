import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROBLEMS } from './problem-codes';

class FieldProblemDto {
  @ApiProperty({ example: 'contact.vatNumber' })
  field: string;
  @ApiProperty()
  message: string;
}

class RemoteProblemDto {
  @ApiPropertyOptional({ example: 422 })
  status?: number;
  @ApiPropertyOptional({ example: 'parameter_taken' })
  code?: string;
  @ApiPropertyOptional()
  message?: string;
  @ApiPropertyOptional({ description: 'B2B Router request id: quote it to their support.' })
  requestId?: string;
}

/** Every error answer (application/problem+json, RFC 9457); switch on `code`. */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'https://b2brouter-invoicing.dev/problems/invoice-not-confirmed' })
  type: string;
  @ApiProperty({ example: 'Invoice is not confirmed' })
  title: string;
  @ApiProperty({ example: 409 })
  status: number;
  @ApiProperty()
  detail: string;
  @ApiProperty({ enum: Object.keys(PROBLEMS), enumName: 'ProblemCode' })
  code: string;
  @ApiProperty({ example: '/invoices/…/register' })
  instance: string;
  @ApiPropertyOptional({ type: [FieldProblemDto] })
  errors?: FieldProblemDto[];
  @ApiPropertyOptional({ type: RemoteProblemDto, description: 'What B2B Router said.' })
  remote?: RemoteProblemDto;
  @ApiPropertyOptional({ description: 'True when the same call may succeed later.' })
  retryable?: boolean;
  @ApiPropertyOptional({ description: 'On a 500: the request id to quote.' })
  requestId?: string;
}
