import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { FindOptionsWhere, Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Contact } from './contact.entity';
import type { CreateContactDto } from './dto/create-contact.dto';
import type { ListContactsQueryDto } from './dto/list-contacts.query.dto';
import type { UpdateContactDto } from './dto/update-contact.dto';

const DEFAULT_LIMIT = 100;

@Injectable()
export class ContactsService {
  constructor(@InjectRepository(Contact) private readonly contacts: Repository<Contact>) {}

  create(dto: CreateContactDto): Promise<Contact> {
    return this.contacts.save(
      this.contacts.create({
        name: dto.name,
        email: dto.email,
        vatNumber: dto.vatNumber ?? null,
        country: dto.country,
        address: dto.address ?? null,
        city: dto.city ?? null,
        postalCode: dto.postalCode ?? null,
        province: dto.province ?? null,
        language: dto.language ?? null,
      }),
    );
  }

  list(query: ListContactsQueryDto): Promise<Contact[]> {
    // TypeORM 1 throws on undefined where-values, so absent filters must be left out.
    const where: FindOptionsWhere<Contact> = {};
    if (query.vatNumber !== undefined) where.vatNumber = query.vatNumber;
    if (query.email !== undefined) where.email = query.email;
    return this.contacts.find({
      where,
      order: { createdAt: 'ASC', id: 'ASC' },
      take: query.limit ?? DEFAULT_LIMIT,
    });
  }

  async get(id: string): Promise<Contact> {
    const contact = await this.contacts.findOneBy({ id });
    if (!contact) throw new DomainError('CONTACT_NOT_FOUND', `There is no contact ${id}.`);
    return contact;
  }

  async update(id: string, dto: UpdateContactDto): Promise<Contact> {
    const contact = await this.get(id);
    Object.assign(contact, dto);
    return this.contacts.save(contact);
  }
}
