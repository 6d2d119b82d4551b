export const TEST_TOKENS = {
  admin: 'admin-token-0123456789abcdef',
  booking: 'booking-token-0123456789abcdef',
} as const;
