import { z } from 'zod';

/** The body of POST /bookings. Customer details are optional and never reach the models or the logs. */
export const bookingBodySchema = z.strictObject({
  request: z.string().trim().min(10, 'describe the trip in at least 10 characters').max(4000),
  customer: z
    .strictObject({
      name: z.string().trim().min(1).max(200),
      email: z.email(),
      phone: z.string().regex(/^\+?[0-9 ()-]{6,24}$/, 'a phone number of digits, spaces, parentheses or dashes').optional(),
      cardNumber: z.string().regex(/^[0-9 ]{12,23}$/, '12 to 19 digits').optional(),
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
