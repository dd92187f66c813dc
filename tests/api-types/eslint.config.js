export { default } from "@docent/config/eslint";
