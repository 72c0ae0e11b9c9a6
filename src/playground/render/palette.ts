/**
 * Feishu's colour names (colour-enum page of the card docs) as CSS colours: `text` for text in
 * that colour, `tint` for a light background behind dark text (header templates, tags).
 */
export type Colour = { text: string; tint: string };

export const COLOURS: Record<string, Colour> = {
  default: { text: '#1f2329', tint: '#ffffff' },
  neutral: { text: '#646a73', tint: '#eff0f1' },
  grey: { text: '#646a73', tint: '#eff0f1' },
  blue: { text: '#245bdb', tint: '#e1eaff' },
  wathet: { text: '#037eaa', tint: '#d9f3fd' },
  turquoise: { text: '#078372', tint: '#d5f6f2' },
  green: { text: '#237b19', tint: '#d9f5d6' },
  lime: { text: '#667901', tint: '#eef6c6' },
  yellow: { text: '#aa7803', tint: '#fdf3d1' },
  orange: { text: '#c25705', tint: '#feead2' },
  red: { text: '#d83931', tint: '#fde2e2' },
  carmine: { text: '#c1185e', tint: '#fde2ec' },
  violet: { text: '#ad2db4', tint: '#f8def8' },
  purple: { text: '#6425d0', tint: '#ece2fe' },
  indigo: { text: '#3b45c4', tint: '#e0e2fa' },
};

/** Colour names allowed in each place (title page for templates and tags; colour-enum page for text). */
export const HEADER_TEMPLATES = ['blue', 'wathet', 'turquoise', 'green', 'yellow', 'orange', 'red', 'carmine', 'violet', 'purple', 'indigo', 'grey', 'default'];
export const TAG_COLOURS = ['neutral', 'blue', 'turquoise', 'lime', 'orange', 'violet', 'indigo', 'wathet', 'green', 'yellow', 'red', 'purple', 'carmine'];
export const TEXT_COLOURS = [
  'default',
  'grey',
  'blue',
  'wathet',
  'turquoise',
  'green',
  'lime',
  'yellow',
  'orange',
  'red',
  'carmine',
  'violet',
  'purple',
  'indigo',
];

/** One CSS class per colour name: `fc-c-<name>` sets the text colour, `fc-t-<name>` the tint. */
export function colourCss(): string {
  return Object.entries(COLOURS)
    .map(([name, c]) => `.fc-c-${name}{color:${c.text}}.fc-t-${name}{background:${c.tint}}`)
    .join('\n');
}
