// The settings and the devices (reached from the settings' school server section) travel in one
// chunk: they share the confirmation with one's own PIN, and the devices are never needed
// without the settings.
export { default as Settings } from './Settings.svelte';
export { default as Devices } from './Devices.svelte';
