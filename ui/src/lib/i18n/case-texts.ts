// The case workspace's texts: steps, records, guided forms and their fields, in Dutch and English
// (en-case.ts is held to nl-case.ts's keys by the type checker). They travel in a chunk of their
// own, fetched by `loadCaseTexts()`; importing this module merges them into the dictionaries.
import { nlCase } from './nl-case';
import { enCase } from './en-case';
import { addCaseTexts } from './index.svelte';

export const CASE_DICTIONARIES = { nl: nlCase, en: enCase };

addCaseTexts(CASE_DICTIONARIES);
