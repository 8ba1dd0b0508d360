/**
 * The body of a PATCH: a strict object of optional fields, at least one of them sent. `{}`
 * changes nothing, so every PATCH refuses it alike (400 `validation_failed`, naming the fields),
 * and the OpenAPI document says so with `minProperties: 1`.
 *
 * @example
 * const UpdateThing = patchBody({ name: NameSchema.optional(), note: NoteSchema.optional() });
 * UpdateThing.safeParse({}).success; // false: "Send at least one of: name, note."
 */
import { z } from "zod";

export function patchBody<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  const fields = Object.keys(shape);
  return z
    .strictObject(shape)
    .refine((body) => Object.values(body).some((value) => value !== undefined), {
      message: `Send at least one of: ${fields.join(", ")}.`,
    })
    .meta({ minProperties: 1 });
}
