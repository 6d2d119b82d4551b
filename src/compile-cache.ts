import { enableCompileCache } from 'node:module';

// Imported first by main.ts, before any other module loads: Node keeps the compiled code of
// every module on disk (under the OS temp directory), so a start after the first one skips
// compiling them, about a quarter of the time to load the app. It fails soft where the
// directory cannot be written.
enableCompileCache();
