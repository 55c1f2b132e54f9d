/**
 * The languages of Privet SQL cells. `privet-sql` (contributed in package.json, named "Privet SQL",
 * coloured by VS Code's own SQL grammar) is the one new cells get; VS Code's built-in `sql` (which
 * it names "MS SQL") is still run and checked, for notebooks written before it existed.
 */
export const PRIVET_SQL_LANGUAGE = 'privet-sql';

/** Every cell language the Privet SQL controller runs and the language server checks. */
export const SQL_CELL_LANGUAGES: readonly string[] = [PRIVET_SQL_LANGUAGE, 'sql'];
