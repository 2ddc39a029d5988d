/**
 * The orchestrator's forced tool, as examples/booking-agent declares it (`plan_booking`): its size
 * decides how many output tokens a plan costs on the simulator, so calibration uses the same shape.
 */
const date = { type: 'string', format: 'date', description: 'ISO date, YYYY-MM-DD' } as const;
const text = { type: 'string', minLength: 1, maxLength: 100 } as const;
const people = { type: 'integer', minimum: 1, maximum: 9 } as const;
const service = (description: string, required: readonly string[], properties: Record<string, unknown>) =>
  ({ type: 'object', description, additionalProperties: false, required: [...required], properties }) as const;

export const PLAN_TOOL = {
  name: 'plan_booking',
  description:
    'Break a travel booking request into subtasks for specialist agents (flights, hotel, restaurant, car rental). ' +
    'Include only the services the customer asked for, each with every required detail.',
  input_schema: {
    type: 'object' as const,
    additionalProperties: false,
    required: ['subtasks'],
    properties: {
      summary: { type: 'string', maxLength: 500, description: 'One sentence describing the trip.' },
      subtasks: {
        type: 'object',
        additionalProperties: false,
        description: 'At least one service.',
        properties: {
          flights: service('Flights to book.', ['from', 'to', 'departDate', 'passengers'], { from: text, to: text, departDate: date, returnDate: date, passengers: people }),
          hotel: service('Hotel to book.', ['city', 'checkIn', 'checkOut', 'guests'], { city: text, checkIn: date, checkOut: date, guests: people }),
          restaurant: service('Restaurant table to book.', ['city', 'date', 'partySize'], { city: text, date, time: { type: 'string', maxLength: 20 }, partySize: people, cuisine: text }),
          car: service('Rental car to book.', ['city', 'pickupDate', 'dropoffDate'], { city: text, pickupDate: date, dropoffDate: date, carClass: text }),
        },
      },
    },
  },
};

export const ORCHESTRATOR_SYSTEM =
  'You are the orchestrator of a travel booking service. Call plan_booking with one subtask per service the ' +
  'customer asked for (flights, hotel, restaurant, car), each with complete details. Use ISO dates.';
