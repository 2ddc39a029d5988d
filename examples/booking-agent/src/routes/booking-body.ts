import { z } from 'zod';

const digitCount = (text: string): number => text.replace(/[^0-9]/g, '').length;

/** The body of POST /bookings. Customer details are optional and never reach the models or the logs. */
export const bookingBodySchema = z.strictObject({
  request: z.string().trim().min(10, 'describe the trip in at least 10 characters').max(4000),
  customer: z
    .strictObject({
      name: z.string().trim().min(1).max(200),
      email: z.email(),
      phone: z
        .string()
        .regex(/^\+?[0-9 ()-]{6,24}$/, 'a phone number of digits, spaces, parentheses or dashes')
        .refine((phone) => digitCount(phone) >= 6, 'a phone number of at least 6 digits')
        .optional(),
      // Spaces between digit groups are allowed; the digits themselves must number 12 to 19.
      cardNumber: z
        .string()
        .regex(/^[0-9 ]+$/, '12 to 19 digits')
        .refine((card) => digitCount(card) >= 12 && digitCount(card) <= 19, '12 to 19 digits')
        .optional(),
    })
    .optional(),
});
export type BookingBody = z.infer<typeof bookingBodySchema>;

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** Lists every schema violation by field path, without echoing the submitted values (PII). */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(body)';
    if (issue.code === 'unrecognized_keys') return { field, message: `unknown field(s): ${issue.keys.join(', ')}` };
    return { field, message: issue.message };
  });
}
