import { mount } from 'svelte';
import App from './App.svelte';
import { chooseBackend } from './lib/backend';
import './app.css';

const target = document.getElementById('app');
if (target) void chooseBackend().then((backend) => mount(App, { target, props: { backend } }));
