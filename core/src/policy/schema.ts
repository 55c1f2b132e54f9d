/**
 * The policy schema, defined once with TypeBox: the JSON Schema that ajv validates (and that
 * editors use for YAML validation) and the TypeScript types are both derived from this file.
 * Every object is closed (`additionalProperties: false`): an unknown key is an error, never ignored.
 * That includes name-keyed records: without it a key breaking the name pattern (`Zip:`) would
 * match no pattern and its value would go unchecked — fail open.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const closed = { additionalProperties: false } as const;
const Identifier = Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' });
const PositiveNumber = Type.Number({ exclusiveMinimum: 0 });
const Fraction = Type.Number({ minimum: 0, maximum: 1 });
/** Exact decimals for budgets: `1`, `0.5`, `1e-6`. */
const DecimalText = Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?([eE]-?[0-9]{1,3})?$' });

function NamedRecord<T extends TSchema>(value: T, minProperties = 0) {
  return Type.Record(Identifier, value, {
    additionalProperties: false,
    ...(minProperties > 0 ? { minProperties } : {}),
  });
}

/** Column data types a raw source may declare. */
export const ColumnType = Type.Union([
  Type.Literal('integer'),
  Type.Literal('number'),
  Type.Literal('string'),
  Type.Literal('date'),
  Type.Literal('boolean'),
]);

/** A raw column as the steward declares it. */
export const SourceColumn = Type.Object(
  {
    type: ColumnType,
    description: Type.Optional(Type.String()),
    /** Direct identifier: never leaves the gateway unmasked; feeds the raw-value leak index. */
    identifier: Type.Optional(Type.Boolean()),
    /** Public bounds for numeric columns (clamping for DP, binning for synthesis). */
    bounds: Type.Optional(Type.Tuple([Type.Number(), Type.Number()])),
    /** Public category domain: values outside it are never released. */
    categories: Type.Optional(
      Type.Array(Type.Union([Type.String(), Type.Integer()]), { minItems: 1, uniqueItems: true }),
    ),
    /** Public range of years of a date column [first, last] (synthesis by year needs no DP discovery). */
    years: Type.Optional(Type.Tuple([Type.Integer(), Type.Integer()])),
  },
  closed,
);

/** A raw table read only by the gateway. */
export const Source = Type.Object(
  {
    description: Type.Optional(Type.String()),
    /** Path to the raw file, relative to the policy file. */
    path: Type.String({ minLength: 1 }),
    format: Type.Union([Type.Literal('csv'), Type.Literal('parquet')]),
    /** Column holding the privacy unit (the person every row belongs to). */
    privacy_unit: Identifier,
    columns: NamedRecord(SourceColumn, 1),
  },
  closed,
);

function op<T extends string, P extends Record<string, TSchema>>(name: T, props: P) {
  return Type.Object({ op: Type.Literal(name), ...props }, closed);
}

/** Masking operators, one per column of a masked view (a discriminated union on `op`). */
export const MaskOperators = [
  op('keep', {}),
  op('drop', {}),
  op('token', {
    /** Columns sharing a join group share a derived key, so joins on tokens work. */
    join_group: Type.Optional(Identifier),
  }),
  op('mask_email', {}),
  op('mask_phone', { keep_last: Type.Optional(Type.Integer({ minimum: 0, maximum: 4 })) }),
  op('mask_chars', {
    keep_first: Type.Optional(Type.Integer({ minimum: 0, maximum: 4 })),
    keep_last: Type.Optional(Type.Integer({ minimum: 0, maximum: 4 })),
  }),
  op('date_trunc', { to: Type.Union([Type.Literal('year'), Type.Literal('month')]) }),
  op('age_band', {
    /** Reference date for computing age from a date column (ISO date). */
    as_of: Type.String({ format: 'date' }),
    width: Type.Integer({ minimum: 1, maximum: 100 }),
    top: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
  op('prefix', { keep: Type.Integer({ minimum: 1, maximum: 32 }) }),
  op('numeric_range', {
    width: PositiveNumber,
    bottom: Type.Optional(Type.Number()),
    top: Type.Optional(Type.Number()),
  }),
] as const;

/** One column of a masked view: which operator turns the raw value into the published one. */
export const MaskedColumn = Type.Unsafe<Static<(typeof MaskOperators)[number]>>({
  type: 'object',
  required: ['op'],
  discriminator: { propertyName: 'op' },
  oneOf: [...MaskOperators],
});

/** k-anonymity over declared quasi-identifiers, reached by suppression with a bound. */
export const KAnonymity = Type.Object(
  {
    k: Type.Integer({ minimum: 2, maximum: 1000 }),
    quasi_identifiers: Type.Array(Identifier, { minItems: 1, uniqueItems: true }),
    /** Refuse to publish when more than this share of rows would be suppressed. */
    max_suppressed_fraction: Fraction,
  },
  closed,
);

const viewBase = {
  description: Type.Optional(Type.String()),
  source: Identifier,
};

/** A view publishing masked rows of one source. */
export const MaskedView = Type.Object(
  {
    ...viewBase,
    tier: Type.Literal('masked'),
    columns: NamedRecord(MaskedColumn, 1),
    k_anonymity: Type.Optional(KAnonymity),
  },
  closed,
);

/** A view of DP-synthetic rows generated from one source. */
export const SyntheticView = Type.Object(
  {
    ...viewBase,
    tier: Type.Literal('synthetic'),
    columns: Type.Array(Identifier, { minItems: 1, uniqueItems: true }),
    epsilon: PositiveNumber,
    delta: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }),
    rows: Type.Optional(Type.Integer({ minimum: 1 })),
    seed: Type.Optional(Type.String({ minLength: 1 })),
    /** Target column for the train-on-synthetic / test-on-real fidelity check. */
    target: Type.Optional(Identifier),
    /** Bins per numeric column (default 32); values are sampled back uniformly within their bin. */
    bins: Type.Optional(Type.Integer({ minimum: 2, maximum: 256 })),
    /**
     * String columns synthesized as only their first N characters (e.g. `zip: 3`, the area of a
     * ZIP code): fewer, larger groups survive DP domain discovery where full values are too thin.
     */
    prefix: Type.Optional(NamedRecord(Type.Integer({ minimum: 1, maximum: 32 }), 1)),
    /**
     * Analysts may read the fidelity report (numbers computed on raw data, not DP: reports of
     * changing data can be subtracted to reveal one person's row). Default false: stewards only.
     */
    fidelity_for_analysts: Type.Optional(Type.Boolean()),
  },
  closed,
);

/** A view that answers only differentially private aggregate queries. */
export const DpView = Type.Object(
  {
    ...viewBase,
    tier: Type.Literal('dp'),
    columns: Type.Array(Identifier, { minItems: 1, uniqueItems: true }),
    contribution: Type.Object(
      {
        max_rows_per_unit: Type.Integer({ minimum: 1 }),
        max_groups_per_unit: Type.Integer({ minimum: 1 }),
      },
      closed,
    ),
    /** Declared GROUP BY keys per column (public); other keys need DP partition selection. */
    public_keys: Type.Optional(
      NamedRecord(
        Type.Array(Type.Union([Type.String(), Type.Integer()]), { minItems: 1, uniqueItems: true }),
      ),
    ),
    /**
     * Answer every real (not dry-run) DP query reading this view on a step of this many ms after
     * the gateway admitted it: never sooner, and at the next multiple when it runs longer, so its
     * running time shows only as a step count (core/src/dp/PRIVACY.md §8). A join takes the
     * largest step of its views. At most 30 s: a query the engine stops at its 120 s limit is then
     * answered at about 150 s, within the 180 s the notebook hosts wait for a DP query.
     */
    response_time_ms: Type.Optional(Type.Integer({ minimum: 10, maximum: 30_000 })),
  },
  closed,
);

/** Any view; `tier` is the discriminator. */
export const View = Type.Unsafe<
  Static<typeof MaskedView> | Static<typeof SyntheticView> | Static<typeof DpView>
>({
  type: 'object',
  required: ['tier'],
  discriminator: { propertyName: 'tier' },
  oneOf: [MaskedView, SyntheticView, DpView],
});

/** Roles checked by the gateway on every request. */
export const Role = Type.Union([
  Type.Literal('analyst'),
  Type.Literal('reviewer'),
  Type.Literal('steward'),
]);

/** A person who may use the gateway. Tokens are issued by the gateway, never stored here. */
export const User = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    roles: Type.Array(Role, { minItems: 1, uniqueItems: true }),
  },
  closed,
);

/** The privacy budget of one source, per experiment (and optionally per user). */
export const Budget = Type.Object(
  {
    source: Identifier,
    /** Budgets are exact decimals, written as strings or numbers (e.g. "3.0"). */
    epsilon: Type.Union([PositiveNumber, DecimalText]),
    delta: Type.Optional(
      Type.Union([Type.Number({ minimum: 0, exclusiveMaximum: 1 }), DecimalText]),
    ),
    scope: Type.Union([Type.Literal('experiment'), Type.Literal('experiment_user')]),
    /** The most ε one DP query may charge this budget (at most `epsilon`); no limit when omitted. */
    max_query_epsilon: Type.Optional(Type.Union([PositiveNumber, DecimalText])),
    /** The most δ one DP query may charge this budget (at most `delta`); no limit when omitted. */
    max_query_delta: Type.Optional(
      Type.Union([Type.Number({ minimum: 0, exclusiveMaximum: 1 }), DecimalText]),
    ),
  },
  closed,
);

/**
 * The steward-owned budget that publishing synthetic views of one source spends (one budget for
 * the life of the state folder, separate from every experiment's budget).
 */
export const PublicationBudget = Type.Object(
  {
    source: Identifier,
    epsilon: Type.Union([PositiveNumber, DecimalText]),
    delta: Type.Optional(
      Type.Union([Type.Number({ minimum: 0, exclusiveMaximum: 1 }), DecimalText]),
    ),
  },
  closed,
);

/** How long derived artefacts and records are kept. */
export const Retention = Type.Object(
  {
    derived_artefacts_days: Type.Integer({ minimum: 0 }),
    audit_log_days: Type.Integer({ minimum: 1 }),
  },
  closed,
);

/** What may leave the sandbox, and how. */
export const ExportRules = Type.Object(
  {
    require_review_for_flagged: Type.Boolean(),
    images: Type.Union([Type.Literal('allow'), Type.Literal('review')]),
    small_cell_threshold: Type.Integer({ minimum: 1 }),
  },
  closed,
);

/** The whole policy file. */
export const Policy = Type.Object(
  {
    version: Type.Literal(1),
    name: Type.String({ minLength: 1 }),
    sources: NamedRecord(Source, 1),
    views: NamedRecord(View),
    users: NamedRecord(User, 1),
    budgets: Type.Array(Budget),
    /** Budgets that synthetic-view publication charges; a source without one publishes none. */
    publication_budgets: Type.Optional(Type.Array(PublicationBudget)),
    retention: Retention,
    export: ExportRules,
  },
  { ...closed, $id: 'https://privet.dev/schema/policy-v1.json', title: 'Privet policy' },
);

/** A validated policy. */
export type Policy = Static<typeof Policy>;
/** A raw source declaration. */
export type Source = Static<typeof Source>;
/** A raw column declaration. */
export type SourceColumn = Static<typeof SourceColumn>;
/** Any view declaration. */
export type View = Static<typeof View>;
/** A masked view declaration. */
export type MaskedView = Static<typeof MaskedView>;
/** A synthetic view declaration. */
export type SyntheticView = Static<typeof SyntheticView>;
/** A DP-only view declaration. */
export type DpView = Static<typeof DpView>;
/** One masking operator with its parameters. */
export type MaskOperator = Static<(typeof MaskOperators)[number]>;
/** A gateway role. */
export type Role = Static<typeof Role>;
/** A user declaration. */
export type User = Static<typeof User>;
/** A budget declaration. */
export type Budget = Static<typeof Budget>;
/** A publication budget declaration. */
export type PublicationBudget = Static<typeof PublicationBudget>;
