import { describe, expect, it } from 'vitest';
import { checkPlan } from './plan.js';

const flights = { from: 'London', to: 'Lisbon', departDate: '2027-05-01', returnDate: '2027-05-04', passengers: 2 };
const hotel = { city: 'Lisbon', checkIn: '2027-05-01', checkOut: '2027-05-04', guests: 2 };
const restaurant = { city: 'Lisbon', date: '2027-05-01', time: '20:00', partySize: 2 };
const car = { city: 'Lisbon', pickupDate: '2027-05-01', dropoffDate: '2027-05-04' };

describe('checkPlan', () => {
  it('accepts a complete plan and lists its subtasks in a fixed order', () => {
    expect(checkPlan({ summary: 'A weekend in Lisbon', subtasks: { car, hotel, flights, restaurant } })).toEqual({
      ok: true,
      plan: {
        summary: 'A weekend in Lisbon',
        subtasks: [
          { kind: 'flights', details: flights },
          { kind: 'hotel', details: hotel },
          { kind: 'restaurant', details: restaurant },
          { kind: 'car', details: car },
        ],
      },
    });
  });

  it('accepts a plan with one service and no summary', () => {
    expect(checkPlan({ subtasks: { hotel } })).toEqual({ ok: true, plan: { summary: null, subtasks: [{ kind: 'hotel', details: hotel }] } });
  });

  it.each([
    ['no service at all (an incomplete plan)', { subtasks: {} }, 'subtasks: the plan has no subtask'],
    ['no subtasks field', { summary: 'x' }, 'subtasks:'],
    ['not an object', 'book it', '(plan)'],
    ['an unknown service', { subtasks: { train: {} } }, 'subtasks: Unrecognized key'],
    ['a missing detail', { subtasks: { hotel: { city: 'Oslo', checkIn: '2027-01-01', guests: 1 } } }, 'subtasks.hotel.checkOut'],
    ['a bad date', { subtasks: { car: { ...car, pickupDate: 'tomorrow' } } }, 'subtasks.car.pickupDate'],
    ['zero passengers', { subtasks: { flights: { ...flights, passengers: 0 } } }, 'subtasks.flights.passengers'],
  ])('rejects a plan with %s, naming %s', (_what, input, path) => {
    const result = checkPlan(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).toContain(path);
  });
});
