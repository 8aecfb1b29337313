import { encodeGlobalID } from '@pothos/plugin-relay';

/** The tests' one global-ID helper: Relay IDs exactly as the API encodes them (base64 of "Type:id"). */
export const gid = (typename: string, id: number | string): string => encodeGlobalID(typename, id);

/** "Type:id" behind a global ID, for assertions on what the API returned. */
export const decodeGid = (id: string): string => Buffer.from(id, 'base64').toString('utf8');

/** A global ID of arbitrary text, for IDs the API must refuse ("Listing:abc", "Nope:1"). */
export const gidOfText = (text: string): string => Buffer.from(text).toString('base64');
