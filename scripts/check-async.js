// `npm run check:async`: every promise is awaited, returned or handed on. The database API is async
// (the same code runs on PostgreSQL), so a call whose promise nobody awaits would let its errors
// escape as unhandled rejections and its writes land after the code that relied on them. Reports:
//   - a call statement whose value is a promise (`recordEvent(db, …);` without `await`);
//   - an async function given where a function returning void is expected (an interface member,
//     an event handler, a callback): its promise is dropped by whoever calls it.
// Write `void promise.catch(…)` where dropping it is meant. TypeScript's own checker does the rest
// (a promise used as a value is a type error).
import ts from 'typescript';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The findings in `program`'s files under `root` (src/, tests/, scripts/). */
export function findUnawaited(program, root) {
	const checker = program.getTypeChecker();
	const isPromise = (type) => /^Promise</.test(checker.typeToString(type)) || (!!type.getProperty('then') && !!type.getProperty('catch'));
	const isAsync = (f) => f.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ?? false;
	const findings = [];
	for (const sf of program.getSourceFiles()) {
		const rel = relative(root, sf.fileName);
		if (sf.isDeclarationFile || rel.startsWith('..') || rel.includes('node_modules') || !/^(src|tests|scripts)\//.test(rel)) continue;
		const where = (node) => `${rel}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
		const text = (node) => node.getText(sf).replace(/\s+/g, ' ').slice(0, 100);
		const visit = (node) => {
			if (ts.isExpressionStatement(node) && ts.isCallExpression(node.expression)) {
				const call = node.expression;
				const chained = ts.isPropertyAccessExpression(call.expression) && ['then', 'catch', 'finally'].includes(call.expression.name.text);
				if (!chained && isPromise(checker.getTypeAtLocation(call))) findings.push(`${where(node)}: a promise nobody awaits: ${text(call)}`);
			}
			if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node)) && isAsync(node)) {
				let expected;
				if (ts.isMethodDeclaration(node)) {
					if (ts.isObjectLiteralExpression(node.parent)) {
						const property = checker.getContextualType(node.parent)?.getProperty(node.name.getText(sf));
						expected = property && checker.getTypeOfSymbolAtLocation(property, node);
					}
				} else expected = checker.getContextualType(node);
				const signatures = expected?.getNonNullableType().getCallSignatures() ?? [];
				if (signatures.length > 0 && signatures.every((s) => (checker.getReturnTypeOfSignature(s).flags & ts.TypeFlags.Void) !== 0)) {
					findings.push(`${where(node)}: an async function where a function returning void is expected (its promise is dropped): ${text(ts.isMethodDeclaration(node) ? node.name : node.parent)}`);
				}
			}
			ts.forEachChild(node, visit);
		};
		visit(sf);
	}
	return findings;
}

/** The project's program, from tsconfig.json (run `svelte-kit sync` first). */
export function projectProgram(root = process.cwd()) {
	const config = ts.getParsedCommandLineOfConfigFile(resolve(root, 'tsconfig.json'), {}, {
		...ts.sys,
		onUnRecoverableConfigFileDiagnostic: (d) => {
			throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
		}
	});
	const rootNames = config.fileNames.filter((f) => /\.(ts|js)$/.test(f) && !f.includes('/node_modules/'));
	return ts.createProgram({ rootNames, options: config.options });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const findings = findUnawaited(projectProgram(), process.cwd());
	for (const finding of findings) console.log(finding);
	console.error(findings.length === 0 ? 'check:async: every promise is awaited' : `check:async: ${findings.length} promise${findings.length === 1 ? '' : 's'} not awaited`);
	process.exit(findings.length === 0 ? 0 : 1);
}
