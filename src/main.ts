import './compile-cache';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { listen } from './listen';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), {
    bufferLogs: true,
    bodyParser: false,
    // Webhook signatures are computed over the bytes B2B Router sent, not a re-serialised body.
    rawBody: true,
  });
  configureApp(app);
  await listen(app);
}

void bootstrap();
