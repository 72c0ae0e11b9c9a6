/** Measure codes as files and people write them, for property tests. */
import fc from 'fast-check';

/** A stored code: 1 to 8 levels of digits (leading zeros kept, as a file may write them). */
export const storedCode = (maxLevels = 8) => fc.array(fc.stringMatching(/^\d{1,4}$/), { minLength: 1, maxLength: maxLevels }).map((parts) => parts.join('.'));

const FULL_WIDTH = '０１２３４５６７８９';
const SEPARATORS = ['.', '．', '。', '、', ',', '，', '-', '_', '—', '–', '−', '/', '\\', ' ', ' . ', '、 ', '..'];

/** The ways a person or a file writes a code: any digit full width, any separators, 第…条, stray ends. */
export const writtenForm = (code: string, { spaces = true } = {}) =>
  fc
    .record({
      wide: fc.array(fc.boolean(), { minLength: code.length, maxLength: code.length }),
      separators: fc.array(fc.constantFrom(...SEPARATORS.filter((s) => spaces || !/\s/.test(s))), { minLength: code.length, maxLength: code.length }),
      prefix: fc.constantFrom('', '第'),
      suffix: fc.constantFrom('', '条', '项', '号'),
      trailing: fc.constantFrom('', '.', '。', '、', '．'),
      pad: spaces ? fc.constantFrom('', ' ', '\u3000', '\t') : fc.constant(''),
    })
    .map(({ wide, separators, prefix, suffix, trailing, pad }) => {
      const body = [...code].map((ch, i) => (ch === '.' ? separators[i]! : wide[i] ? FULL_WIDTH[Number(ch)]! : ch)).join('');
      return `${pad}${prefix}${body}${trailing}${suffix}${pad}`;
    });
