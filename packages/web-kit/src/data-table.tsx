/**
 * A table of rows in the kit's look: the header cells scoped to their columns, the first cell of a
 * row as its header (unless `rowHeaders` is off), wrapped to scroll sideways on narrow screens.
 * Columns carry the classes that hide or size them ("col-optional", "col-wide", "col-actions").
 */
import type { ReactNode } from "react";

export interface Column<R> {
  /** The column's name; `hidden` keeps it for screen readers only (a column of buttons). */
  header: string;
  hidden?: boolean;
  /** Class of the header and the cells, unless `cellClassName` gives the cells their own. */
  className?: string;
  cellClassName?: string;
  cell: (row: R) => ReactNode;
}

/**
 * @example
 * <DataTable
 *   rows={robots}
 *   rowKey={(r) => r.id}
 *   columns={[
 *     { header: "Robot", cell: (r) => r.name },
 *     { header: "Machine", className: "col-optional", cell: (r) => r.machineId },
 *   ]}
 * />
 */
export function DataTable<R>({
  columns,
  rows,
  rowKey,
  rowClassName,
  rowHeaders = true,
  caption,
  dense = false,
  footer,
}: {
  /** The columns shown; `false` entries (a column only admins see) are left out. */
  columns: readonly (Column<R> | false)[];
  rows: readonly R[];
  rowKey: (row: R) => string | number;
  rowClassName?: (row: R) => string | undefined;
  rowHeaders?: boolean;
  /** Read by screen readers only. */
  caption?: string;
  dense?: boolean;
  /** Under the table, inside its frame: "Load older entries". */
  footer?: ReactNode;
}) {
  const shown = columns.filter((c): c is Column<R> => c !== false);
  return (
    <div className="table-wrap">
      <table className={dense ? "table table-dense" : "table"}>
        {caption ? <caption className="visually-hidden">{caption}</caption> : null}
        <thead>
          <tr>
            {shown.map((c) => (
              <th key={c.header} scope="col" className={c.className}>
                {c.hidden ? <span className="visually-hidden">{c.header}</span> : c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} className={rowClassName?.(row)}>
              {shown.map((c, i) => {
                const className = c.cellClassName ?? c.className;
                return rowHeaders && i === 0 ? (
                  <th key={c.header} scope="row" className={className}>
                    {c.cell(row)}
                  </th>
                ) : (
                  <td key={c.header} className={className}>
                    {c.cell(row)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {footer}
    </div>
  );
}
