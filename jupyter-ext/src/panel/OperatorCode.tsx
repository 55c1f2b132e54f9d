import * as React from 'react';

/**
 * The places an operator such as `token(join_group=patient)` may wrap: after each "(" and "=",
 * so a narrow side bar wraps it between its parts rather than inside a name.
 */
export function operatorParts(text: string): string[] {
  return text.split(/(?<=[(=])/);
}

/** An operator as code that wraps at its parts (a `<wbr>` after each "(" and "="). */
export function OperatorCode(props: { text: string }): JSX.Element {
  const parts = operatorParts(props.text);
  return (
    <code>
      {parts.map((part, i) => (
        <React.Fragment key={i}>
          {part}
          {i < parts.length - 1 ? <wbr /> : null}
        </React.Fragment>
      ))}
    </code>
  );
}
