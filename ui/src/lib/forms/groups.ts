// How the case screen groups the forms: the urgent routes first (with what the child told, and
// the board's route in a staff case), then the steps of the code.
export const FORM_GROUPS = [
  {
    key: 'urgent',
    kinds: [
      'declare_emergency', 'record_emergency_call', 'record_disclosure', 'raise_urgent_flag', 'suspect_staff', 'record_board_informed',
      'inform_parents_of_staff_case', 'inform_suspected_staff', 'record_police_report_decision',
    ],
  },
  { key: 'step1', kinds: ['record_child_conversation'] },
  { key: 'step2', kinds: ['record_consultation', 'request_advice', 'record_advice_skipped', 'record_consent', 'consider_risk_index', 'record_care_team_intake', 'involve_colleague'] },
  { key: 'step3', kinds: ['record_parent_conversation', 'record_other_cause', 'record_exception_ground'] },
  { key: 'step4', kinds: ['record_assessment'] },
  {
    key: 'step5',
    kinds: [
      'record_decision', 'start_help_plan', 'share_help_plan', 'check_help_reached', 'review_help', 'end_help_plan',
      'record_report_discussion', 'make_report', 'inform_parents_of_report', 'record_follow_up',
    ],
  },
  { key: 'other', kinds: ['correct_record', 'record_evaluation', 'close_case', 'record_pupil_left'] },
] as const;
