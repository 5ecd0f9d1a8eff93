// The viewer's keys for the man page's KEYS section, taken from the tables the viewer itself
// dispatches on (GLOBAL_BINDINGS and each screen's bindings), so the page lists exactly what works.
import { GLOBAL_BINDINGS, type Binding } from '../../ui/keymap.js';
import { SCREENS } from '../../ui/screens/registry.js';
import { keyLabel } from '../../ui/widgets/help.js';

export interface KeyGroup {
  readonly title: string;
  readonly keys: readonly { readonly keys: readonly string[]; readonly help: string }[];
}

function describe(binding: Binding): { keys: string[]; help: string } {
  // The ten digit keys read as one, as on the help screen.
  const keys = binding.command.kind === 'pidDigit' ? ['0-9'] : binding.keys.map(keyLabel);
  return { keys, help: binding.help };
}

/** "On every screen", then each screen that has keys of its own, in tab order. */
export function keyGroups(): KeyGroup[] {
  return [
    { title: 'On every screen', keys: GLOBAL_BINDINGS.map(describe) },
    ...SCREENS.filter((screen) => screen.bindings.length > 0).map((screen) => ({ title: screen.title, keys: screen.bindings.map(describe) })),
  ];
}

/** The screens' titles in tab order, for the description. */
export function screenTitles(): string[] {
  return SCREENS.map((screen) => screen.title);
}
