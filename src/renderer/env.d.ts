/** Vite turns CSS imports into <link> tags. */
declare module '*.css';
