import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation } from '@nestjs/swagger';
import { ApiResource } from '../common/api-resource';
import { ApiProblems } from '../common/errors/api-problems';
import { BODY_PROBLEMS } from '../common/errors/problem-sets';
import { UuidParam } from '../common/uuid-param';
import { ContactsService } from './contacts.service';
import { CONTACT_EXAMPLES } from './dto/contact.examples';
import { ContactResponseDto } from './dto/contact-response.dto';
import { CreateContactDto } from './dto/create-contact.dto';
import { ListContactsQueryDto } from './dto/list-contacts.query.dto';
import { UpdateContactDto } from './dto/update-contact.dto';

/** Admins and booking systems alike: booking systems keep their guests' data here. */
@ApiResource('contacts')
@Controller('contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Post()
  @ApiOperation({
    summary: 'Add a contact',
    description:
      'The person or company an invoice is delivered to. A VAT number that is not valid for ' +
      'the country is accepted (booking systems hold dirty data): `vatCheck` says why it would ' +
      'block registration.',
  })
  @ApiBody({ type: CreateContactDto, examples: CONTACT_EXAMPLES })
  @ApiProblems(...BODY_PROBLEMS)
  async create(@Body() dto: CreateContactDto): Promise<ContactResponseDto> {
    return ContactResponseDto.fromEntity(await this.contacts.create(dto));
  }

  @Get()
  @ApiOperation({
    summary: 'List contacts',
    description: 'Oldest first; optionally only those with a given VAT number or e-mail.',
  })
  @ApiProblems('VALIDATION_FAILED')
  async list(@Query() query: ListContactsQueryDto): Promise<ContactResponseDto[]> {
    return (await this.contacts.list(query)).map((c) => ContactResponseDto.fromEntity(c));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a contact', description: 'One contact, with its `vatCheck`.' })
  @ApiProblems('VALIDATION_FAILED', 'CONTACT_NOT_FOUND')
  async get(@UuidParam() id: string): Promise<ContactResponseDto> {
    return ContactResponseDto.fromEntity(await this.contacts.get(id));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a contact',
    description:
      'Changes the fields given; `null` clears an optional one. Invoices registered already ' +
      'keep the contact as B2B Router received it.',
  })
  @ApiProblems(...BODY_PROBLEMS, 'CONTACT_NOT_FOUND')
  async update(
    @UuidParam() id: string,
    @Body() dto: UpdateContactDto,
  ): Promise<ContactResponseDto> {
    return ContactResponseDto.fromEntity(await this.contacts.update(id, dto));
  }
}
