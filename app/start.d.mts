/** Types of app/start.mjs (plain JavaScript: `npm start` runs it before tsx is installed). */
export interface StartStep {
  title: string;
  skip?: boolean;
  command: string;
  args: string[];
  env?: Record<string, string>;
  serve?: boolean;
}
export function startSteps(env?: NodeJS.ProcessEnv): StartStep[];
