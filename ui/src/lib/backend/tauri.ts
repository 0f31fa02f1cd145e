import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { asBackendError, type Backend } from './backend';
import type { SyncStatus } from '../bindings/SyncStatus';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw asBackendError(e);
  }
}

/** Listens to one of the core's events, handing on its payload; the returned function stops,
 * also before `listen` has resolved. */
function subscribe<T = unknown>(event: string, callback: (payload: T) => void): () => void {
  let stop: (() => void) | null = null;
  let cancelled = false;
  void listen<T>(event, (e) => callback(e.payload)).then((unlisten) => {
    if (cancelled) unlisten();
    else stop = unlisten;
  });
  return () => {
    cancelled = true;
    stop?.();
  };
}

export function tauriBackend(): Backend {
  return {
    lockScreen: () => call('lock_screen'),
    defaultProfile: () => call('default_profile'),
    checkProfile: (text) => call('check_profile', { text }),
    setUp: (profile_text, coordinator_name, pin) =>
      call('set_up', { profile_text, coordinator_name, pin }),
    unlock: (user_id, pin) => call('unlock', { user_id, pin }),
    releaseWithRecoveryKey: (recovery_key) => call('release_with_recovery_key', { recovery_key }),
    lock: () => call('lock'),
    touch: () => call('touch'),
    listCases: (search) => call('list_cases', { search }),
    catalogue: () => call('catalogue'),
    profile: () => call('profile'),
    capture: (request) => call('capture', { request }),
    caseView: (case_id) => call('case_view', { case_id }),
    record: (case_id, command) => call('record', { case_id, command }),
    users: () => call('users'),
    addUser: (acting_pin, full_name, role, pin) => call('add_user', { acting_pin, full_name, role, pin }),
    removeUser: (acting_pin, user_id) => call('remove_user', { acting_pin, user_id }),
    resetPin: (acting_pin, user_id, pin) => call('reset_pin', { acting_pin, user_id, pin }),
    schoolLog: () => call('school_log'),
    evaluationFigures: (from, to) => call('evaluation_figures', { from, to }),
    saveFiguresCsv: (from, to) => call('save_figures_csv', { from, to }),
    saveFiguresPdf: (from, to) => call('save_figures_pdf', { from, to }),
    inzageMaskPoints: (case_id) => call('inzage_mask_points', { case_id }),
    exportDossier: (case_id, request) => call('export_dossier', { case_id, request }),
    dueForDestruction: () => call('due_for_destruction'),
    destroyCase: (acting_pin, case_id, reason) => call('destroy_case', { acting_pin, case_id, reason }),
    dailyDigest: () => call('daily_digest'),
    changePin: (current_pin, new_pin) => call('change_pin', { current_pin, new_pin }),
    acknowledgeAlarms: () => call('acknowledge_alarms'),
    saveSettings: (settings) => call('save_settings', { settings }),
    openContact: (contact_id, channel) => call('open_contact', { contact_id, channel }),
    session: () => call('session'),
    onLocked: (callback) => subscribe('locked', () => callback()),
    onIntegrity: (callback) => subscribe('integrity', () => callback()),
    syncStatus: () => call('sync_status'),
    syncNow: () => call('sync_now'),
    enrollDevice: (server, code) => call('enroll_device', { server, code }),
    joinSchool: (server, code, pin) => call('join_school', { server, code, pin }),
    newEnrollmentCode: (user_id) => call('new_enrollment_code', { user_id }),
    devices: () => call('devices'),
    revokeDevice: (acting_pin, device_id) => call('revoke_device', { acting_pin, device_id }),
    assignUser: (acting_pin, user_id, device_id) => call('assign_user_to_device', { acting_pin, user_id, device_id }),
    unassignUser: (acting_pin, user_id, device_id) =>
      call('unassign_user_from_device', { acting_pin, user_id, device_id }),
    onSync: (callback) => subscribe<SyncStatus>('sync', callback),
    onWiped: (callback) => subscribe('wiped', () => callback()),
    onReceived: (callback) => subscribe('received', () => callback()),
  };
}
