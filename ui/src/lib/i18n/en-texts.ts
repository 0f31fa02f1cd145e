// The English texts of the app's first chunk. Most of the staff read Dutch, so English travels in
// a chunk of its own, fetched when English is chosen (`setLanguage`); importing this module merges
// it into the dictionaries. Until it is in, every text shows in Dutch.
import { en } from './en';
import { addTexts } from './index.svelte';

addTexts({ en });
