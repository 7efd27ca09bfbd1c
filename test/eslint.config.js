// ESLint flat config (kept under test/ so the top level stays as STACK.md fixes it).
// Run as `eslint --config test/eslint.config.js .` from the project root.
import path from "node:path";
import js from "@eslint/js";
import i18next from "eslint-plugin-i18next";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "build-*/**", ".react-router/**", "node_modules/**", "data/**", "test-results/**", "playwright-report/**", "test/.tmp/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The domain is async (app/utils/db.server.ts): a promise nobody awaits is a write that may
    // land after the answer, or an error nobody sees.
    files: ["app/**/*.{ts,tsx}", "db/**/*.ts", "test/**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: path.resolve(import.meta.dirname, "..") } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    // Code written against `Db` runs on SQLite and PostgreSQL: the SQLite-only terminal methods
    // of drizzle's query builders are not available on PostgreSQL.
    files: ["app/**/*.{ts,tsx}", "db/seed*.ts", "db/demo-links.ts"],
    ignores: ["app/utils/db*.server.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[arguments.length=0] > MemberExpression.callee[property.name=/^(all|run|values)$/]",
          message: "SQLite-only: await the query builder instead (Db runs on both engines).",
        },
        {
          selector: "CallExpression[arguments.length=0] > MemberExpression.callee[property.name='get'][object.type='CallExpression']",
          message: "SQLite-only: `const [row] = await query.limit(1)` instead (Db runs on both engines).",
        },
      ],
    },
  },
  {
    files: ["app/**/*.tsx"],
    plugins: { "react-hooks": reactHooks, "jsx-a11y": jsxA11y, i18next },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.flatConfigs.recommended.rules,
      // Every user-facing string is translated: no literal text in JSX.
      "i18next/no-literal-string": ["error", { mode: "jsx-text-only" }],
      "jsx-a11y/label-has-associated-control": ["error", { assert: "either", depth: 4 }],
    },
  },
);
