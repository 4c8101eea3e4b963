// New actor ids: UUIDs of version 7 (RFC 9562), whose first 48 bits are the creation time in
// milliseconds. Ids created close in time sort close together, so a new actor's rows go to the
// right edge of every index keyed by actor id (the directory, the KV rows, the alarms) instead of
// to a random page of it: creating the millionth actor writes about as many pages as the first.

/** A new actor id: the creation time, then 74 random bits (those of a version 4 UUID). */
export function newActorId(now = Date.now()): string {
  const time = now.toString(16).padStart(12, "0");
  // crypto.randomUUID() is xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx: keep what follows its version digit.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${crypto.randomUUID().slice(15)}`;
}
