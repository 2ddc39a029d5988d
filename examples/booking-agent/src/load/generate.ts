/** A small seeded PRNG (mulberry32) so the same seed sends the same bookings. */
export function seededRandom(seed: string | number): () => number {
  let state = 2166136261;
  for (const ch of String(seed)) state = Math.imul(state ^ ch.charCodeAt(0), 16777619);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CITIES = ['Lisbon', 'Kyoto', 'Montreal', 'Cape Town', 'Oslo', 'Buenos Aires', 'Hanoi', 'Edinburgh', 'Marrakesh', 'Seattle'];
const ORIGINS = ['London', 'New York', 'Berlin', 'Singapore', 'Sydney', 'Toronto', 'Madrid'];
const CUISINES = ['seafood', 'vegetarian', 'local', 'ramen', 'tapas', 'steakhouse'];
const CARS = ['compact', 'SUV', 'electric', 'convertible'];
const FIRST = ['Ada', 'Grace', 'Alan', 'Katherine', 'Linus', 'Margaret', 'Tim', 'Barbara'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Torvalds', 'Hamilton', 'Berners-Lee', 'Liskov'];

export interface BookingBody {
  request: string;
  customer?: { name: string; email: string; phone: string };
}

/** Generates varied booking requests (1 to 4 services, random cities, dates and party sizes). */
export function createBookingGenerator(seed: string | number): () => BookingBody {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const between = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  return () => {
    const city = pick(CITIES);
    const people = between(1, 6);
    const month = String(between(1, 12)).padStart(2, '0');
    const day = between(1, 20);
    const nights = between(1, 10);
    const date = `2027-${month}-${String(day).padStart(2, '0')}`;
    const parts: string[] = [];
    if (random() < 0.8) parts.push(`flights for ${people} from ${pick(ORIGINS)} to ${city} on ${date}, back ${nights} days later`);
    if (random() < 0.8 || parts.length === 0) parts.push(`a hotel in ${city} for ${nights} nights from ${date}`);
    if (random() < 0.5) parts.push(`a table for ${people} at a ${pick(CUISINES)} restaurant on the first evening`);
    if (random() < 0.4) parts.push(`a ${pick(CARS)} rental car for the whole stay`);
    const name = `${pick(FIRST)} ${pick(LAST)}`;
    const body: BookingBody = { request: `Please book ${parts.join(', ')}. Contact me on +1 555 ${between(100, 999)} ${between(1000, 9999)}.` };
    if (random() < 0.7) {
      body.customer = {
        name,
        email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.com`,
        phone: `+1555${between(1000000, 9999999)}`,
      };
    }
    return body;
  };
}
