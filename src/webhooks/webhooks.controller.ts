import { Body, Controller, HttpCode, Post, type RawBodyRequest, Req } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../auth/roles.decorator';
import { ApiProblems } from '../common/errors/api-problems';
import { UuidParam } from '../common/uuid-param';
import { StateChangeEventDto } from './dto/state-change.dto';
import { type WebhookReceipt, WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@Public()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post('b2brouter/:deviceId')
  @HttpCode(200)
  @ApiOperation({
    summary: "Receive B2B Router's state changes",
    description:
      "B2B Router's `issued_invoice.state_change`, signed with the device's `webhookSecret` " +
      '(`X-B2Brouter-Signature: t=…,s=…`, HMAC-SHA256 of "<t>.<raw body>", 300 s window; ' +
      'during a rotation the previous secret is accepted for 24 h). Updates ' +
      '`registration.remoteState` and adds a `remote.state_changed` event. A replayed or ' +
      'older event changes nothing; an event for an invoice this service does not know is ' +
      'acknowledged with 200 and logged. No bearer token: the signature authenticates.',
  })
  @ApiHeader({
    name: 'X-B2Brouter-Signature',
    required: true,
    description: 't=<unix seconds>,s=<hex>',
  })
  @ApiBody({ type: StateChangeEventDto })
  @ApiProblems('VALIDATION_FAILED', 'INVALID_SIGNATURE')
  receive(
    @UuidParam('deviceId') deviceId: string,
    @Req() request: RawBodyRequest<Request>,
    @Body() body: unknown,
  ): Promise<WebhookReceipt> {
    const signature = request.header('X-B2Brouter-Signature');
    return this.webhooks.receive(deviceId, signature, request.rawBody, body);
  }
}
