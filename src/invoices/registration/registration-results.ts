import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Contact } from '../../contacts/contact.entity';
import { RegistrationResultDto } from '../dto/registration-result.dto';
import type { Invoice } from '../invoice.entity';
import { ProjectXref } from '../project-xref.entity';

/** The answer of a successful (or repeated) registration. */
@Injectable()
export class RegistrationResults {
  constructor(
    @InjectRepository(ProjectXref) private readonly xrefs: Repository<ProjectXref>,
    @InjectRepository(Contact) private readonly contacts: Repository<Contact>,
  ) {}

  /** `knownXref`: the one the registration just wrote, so it is not read again. */
  async of(invoice: Invoice, knownXref?: ProjectXref): Promise<RegistrationResultDto> {
    // A registration went where its create body said (a device's test recipient, maybe);
    // a linked invoice was delivered by whoever created it, to its contact.
    const body = invoice.registrationState === 'registered' ? invoice.b2brouterPayload : null;
    const [xref, contact] = await Promise.all([
      knownXref ?? this.xrefs.findOneBy({ invoiceId: invoice.id }),
      body?.contact.email ? null : this.contacts.findOneBy({ id: invoice.contactId }),
    ]);
    return RegistrationResultDto.of(invoice, xref, {
      sentTo: body?.contact.email ?? contact?.email ?? null,
      testRedirectedFrom: body ? invoice.testRedirectedFrom : null,
    });
  }
}
