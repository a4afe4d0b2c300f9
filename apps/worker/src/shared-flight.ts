/**
 * `start()` unless a call for `key` is still in flight in `inFlight`, whose promise is then shared:
 * the jobs of one worker that need the same read at the same moment wait for one read.
 */
export function sharedFlight<T>(inFlight: Map<string, Promise<T>>, key: string, start: () => Promise<T>): Promise<T> {
  const running = inFlight.get(key);
  if (running !== undefined) return running;
  const flight = start();
  const forget = () => {
    if (inFlight.get(key) === flight) inFlight.delete(key);
  };
  flight.then(forget, forget);
  inFlight.set(key, flight);
  return flight;
}
