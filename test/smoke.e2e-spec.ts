import { Test } from '@nestjs/testing';
import { Module } from '@nestjs/common';
@Module({})
class M {}
it('boots', async () => {
  const m = await Test.createTestingModule({ imports: [M] }).compile();
  expect(m).toBeDefined();
});
