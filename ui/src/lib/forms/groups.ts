// How the case screen groups the forms: the urgent routes first, then the steps of the code.
export const FORM_GROUPS = [
  { key: 'urgent', kinds: ['declare_emergency', 'record_emergency_call', 'raise_urgent_flag', 'suspect_staff', 'record_board_informed'] },
  { key: 'step2', kinds: ['record_consultation', 'request_advice', 'record_consent', 'consider_risk_index', 'involve_colleague'] },
  { key: 'step3', kinds: ['record_parent_conversation', 'record_exception_ground'] },
  { key: 'step4', kinds: ['record_assessment'] },
  { key: 'step5', kinds: ['record_decision', 'start_help_plan', 'review_help', 'end_help_plan', 'record_report_discussion', 'make_report', 'record_follow_up'] },
  { key: 'other', kinds: ['correct_record', 'close_case'] },
] as const;
