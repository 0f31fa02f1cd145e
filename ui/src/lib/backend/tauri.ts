import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { asBackendError, type Backend } from './backend';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw asBackendError(e);
  }
}

export function tauriBackend(): Backend {
  return {
    lockScreen: () => call('lock_screen'),
    defaultProfile: () => call('default_profile'),
    checkProfile: (text) => call('check_profile', { text }),
    setUp: (profile_text, coordinator_name, pin) =>
      call('set_up', { profile_text, coordinator_name, pin }),
    unlock: (user_id, pin) => call('unlock', { user_id, pin }),
    lock: () => call('lock'),
    touch: () => call('touch'),
    listCases: (search) => call('list_cases', { search }),
    catalogue: () => call('catalogue'),
    profile: () => call('profile'),
    capture: (request) => call('capture', { request }),
    caseView: (case_id) => call('case_view', { case_id }),
    record: (case_id, command) => call('record', { case_id, command }),
    users: () => call('users'),
    addUser: (full_name, role, pin) => call('add_user', { full_name, role, pin }),
    removeUser: (user_id) => call('remove_user', { user_id }),
    resetPin: (user_id, pin) => call('reset_pin', { user_id, pin }),
    changePin: (current_pin, new_pin) => call('change_pin', { current_pin, new_pin }),
    saveSettings: (settings) => call('save_settings', { settings }),
    openContact: (contact_id, channel) => call('open_contact', { contact_id, channel }),
    onLocked(callback) {
      let stop: (() => void) | null = null;
      let cancelled = false;
      void listen('locked', () => callback()).then((unlisten) => {
        if (cancelled) unlisten();
        else stop = unlisten;
      });
      return () => {
        cancelled = true;
        stop?.();
      };
    },
  };
}
