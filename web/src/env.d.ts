// Styles are bundled by esbuild beside the script; importing one only says it belongs to the page.
declare module '*.css';
