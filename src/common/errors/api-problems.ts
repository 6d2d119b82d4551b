import { applyDecorators } from '@nestjs/common';
import {
  ApiResponse,
  type ExampleObject,
  getSchemaPath,
  type OpenAPIObject,
  type OperationObject,
} from '@nestjs/swagger';
import { ProblemDetailsDto } from './problem-details.dto';
import {
  BODY_VALIDATION_EXAMPLE,
  EXAMPLE_ID,
  PROBLEM_EXAMPLES,
  type ProblemExample,
  QUERY_VALIDATION_EXAMPLE,
} from './problem-examples';
import { PROBLEMS, type ProblemCode, problemType } from './problem-codes';

const PROBLEM_JSON = 'application/problem+json';

function answer(code: ProblemCode, example: ProblemExample = PROBLEM_EXAMPLES[code]) {
  const { status, title } = PROBLEMS[code];
  return { type: problemType(code), title, status, code, ...example };
}

/**
 * Documents the problems an operation can answer: one response per status, typed
 * application/problem+json, with a named example per code, so Swagger UI shows what each
 * failure looks like and generated clients know the error shape.
 */
export function ApiProblems(...codes: ProblemCode[]) {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) {
    const status = PROBLEMS[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, group]) =>
      ApiResponse({
        status,
        description: group.map((code) => `\`${code}\`: ${PROBLEMS[code].title}`).join('; '),
        content: {
          [PROBLEM_JSON]: {
            schema: { $ref: getSchemaPath(ProblemDetailsDto) },
            examples: Object.fromEntries(
              group.map((code) => [code, { summary: PROBLEMS[code].title, value: answer(code) }]),
            ),
          },
        },
      }),
    ),
  );
}

/**
 * Decorators do not know the path they document: this gives each problem example the
 * `instance` of its own operation, and a validation failure that fits what the operation
 * takes (a body, a query, or only an id).
 */
export function fitProblemExamples(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of [item.get, item.post, item.patch, item.put, item.delete]) {
      if (!operation) continue;
      const instance = path.replace(/\{\w+\}/g, EXAMPLE_ID);
      for (const [name, example] of problemExamplesOf(operation)) {
        const fitted: object =
          name === 'VALIDATION_FAILED'
            ? answer(name, validationExample(operation))
            : (example.value as object);
        example.value = { ...fitted, instance };
      }
    }
  }
}

function problemExamplesOf(operation: OperationObject): [string, ExampleObject][] {
  return Object.values(operation.responses).flatMap((response) => {
    const examples =
      response && 'content' in response ? response.content?.[PROBLEM_JSON]?.examples : undefined;
    return Object.entries(examples ?? {}).filter(
      (entry): entry is [string, ExampleObject] => !('$ref' in entry[1]),
    );
  });
}

function validationExample(operation: OperationObject): ProblemExample {
  if (operation.requestBody) return BODY_VALIDATION_EXAMPLE;
  const inQuery = operation.parameters?.some((p) => 'in' in p && p.in === 'query');
  return inQuery ? QUERY_VALIDATION_EXAMPLE : PROBLEM_EXAMPLES.VALIDATION_FAILED;
}
