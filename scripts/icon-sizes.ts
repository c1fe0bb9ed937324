/** The icon sizes scripts/render-icons.ts writes (and the test expects). */
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512] as const;
/** Windows shows 16–256; a 512 entry would only make the installer larger. */
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;
