// The colours of node roles, shared by every writer that colours (DOT, Mermaid, HTML) so a role looks the same
// everywhere. Chosen to stay distinct for colour-blind readers (red/orange vs blue vs grey differ in lightness too).

import type { NodeRole } from './export-view.js';

/** Fill colour per role, and `none` for views without a focus. */
export const ROLE_COLORS: Readonly<Record<NodeRole | 'none', string>> = {
  changed: '#d62728',
  refresh: '#ff9f1c',
  static: '#4c78a8',
  untouched: '#c7c7c7',
  none: '#9ecae9',
};

/** Text colour that stays readable on each fill. */
export const ROLE_TEXT_COLORS: Readonly<Record<NodeRole | 'none', string>> = {
  changed: '#ffffff',
  refresh: '#000000',
  static: '#ffffff',
  untouched: '#000000',
  none: '#000000',
};
