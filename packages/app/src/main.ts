import { createApp } from './app';

createApp().synth();
