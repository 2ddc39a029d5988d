import type Anthropic from '@anthropic-ai/sdk';

export const PLAN_TOOL_NAME = 'plan_booking';

export const SUBTASK_KINDS = ['flights', 'hotel', 'restaurant', 'car'] as const;
export type SubtaskKind = (typeof SUBTASK_KINDS)[number];

const date = { type: 'string', format: 'date', description: 'ISO date, YYYY-MM-DD' } as const;
const text = { type: 'string', minLength: 1, maxLength: 100 } as const;
const people = { type: 'integer', minimum: 1, maximum: 9 } as const;

/** One object per service, so a plan names each service at most once and each has its own required details. */
const service = (description: string, required: readonly string[], properties: Record<string, unknown>) =>
  ({ type: 'object', description, additionalProperties: false, required: [...required], properties }) as const;

/**
 * The tool the orchestrator must call (tool_choice forces it): the booking broken into subtasks, one
 * per service asked for, each with the details its specialist needs. This JSON Schema is what the
 * model sees; `plan.ts` validates what comes back with the same constraints, because a model can
 * still answer off-schema (or leave every service out).
 */
export const planBookingTool = {
  name: PLAN_TOOL_NAME,
  description:
    'Break a travel booking request into subtasks for specialist agents (flights, hotel, restaurant, car rental). ' +
    'Include only the services the customer asked for, each with every required detail.',
  input_schema: {
    type: 'object',
    additionalProperties: false,
    required: ['subtasks'],
    properties: {
      summary: { type: 'string', maxLength: 500, description: 'One sentence describing the trip.' },
      subtasks: {
        type: 'object',
        additionalProperties: false,
        // An object keyed by service, so "at least one" is minProperties (minItems applies to arrays only).
        minProperties: 1,
        description: 'At least one service.',
        properties: {
          flights: service('Flights to book.', ['from', 'to', 'departDate', 'passengers'], {
            from: text,
            to: text,
            departDate: date,
            returnDate: date,
            passengers: people,
          }),
          hotel: service('Hotel to book.', ['city', 'checkIn', 'checkOut', 'guests'], {
            city: text,
            checkIn: date,
            checkOut: date,
            guests: people,
          }),
          restaurant: service('Restaurant table to book.', ['city', 'date', 'partySize'], {
            city: text,
            date,
            time: { type: 'string', maxLength: 20, description: 'Local time, e.g. 20:00' },
            partySize: people,
            cuisine: text,
          }),
          car: service('Rental car to book.', ['city', 'pickupDate', 'dropoffDate'], {
            city: text,
            pickupDate: date,
            dropoffDate: date,
            carClass: text,
          }),
        },
      },
    },
  },
} as const satisfies Anthropic.Tool;
