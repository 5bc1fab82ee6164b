// The stylesheet is imported for esbuild, which emits it as app.css.
declare module '*.css';
