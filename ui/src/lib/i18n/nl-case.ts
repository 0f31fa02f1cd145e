// Dutch texts of the case screen: steps, records, guided forms and their fields. They live in
// nl-case.json because the PDF export (crates/pdf) reads the same labels: one dictionary, so a
// printed dossier says what the screen says.
import nlCaseTexts from './nl-case.json';

export const nlCase = nlCaseTexts;
