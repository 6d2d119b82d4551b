import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { UuidParam } from '../common/uuid-param';
import { ContactsService } from './contacts.service';
import { ContactResponseDto } from './dto/contact-response.dto';
import { CreateContactDto } from './dto/create-contact.dto';
import { ListContactsQueryDto } from './dto/list-contacts.query.dto';
import { UpdateContactDto } from './dto/update-contact.dto';
import { ApiResource } from '../common/api-resource';

/** Admins and booking systems alike: booking systems keep their guests' data here. */
@ApiResource('contacts')
@Controller('contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  /** Adds a contact. A wrong VAT number is accepted; `vatCheck` says why it blocks registration. */
  @Post()
  async create(@Body() dto: CreateContactDto): Promise<ContactResponseDto> {
    return ContactResponseDto.fromEntity(await this.contacts.create(dto));
  }

  /** Contacts oldest first, optionally only those with a given VAT number or e-mail. */
  @Get()
  async list(@Query() query: ListContactsQueryDto): Promise<ContactResponseDto[]> {
    return (await this.contacts.list(query)).map((c) => ContactResponseDto.fromEntity(c));
  }

  @Get(':id')
  async get(@UuidParam() id: string): Promise<ContactResponseDto> {
    return ContactResponseDto.fromEntity(await this.contacts.get(id));
  }

  /** Changes the fields given; null clears an optional one. */
  @Patch(':id')
  async update(
    @UuidParam() id: string,
    @Body() dto: UpdateContactDto,
  ): Promise<ContactResponseDto> {
    return ContactResponseDto.fromEntity(await this.contacts.update(id, dto));
  }
}
