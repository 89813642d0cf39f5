// A partner's first minutes with a TypeScript client: openapi-typescript
// made schema.d.ts from the served OpenAPI document and openapi-fetch calls
// the API with its types (api/clients_test.go generates, type-checks,
// compiles and runs this): create an entity with an editor key, read it,
// change one field with a merge patch and If-Match, and find it in a
// filtered listing. It prints each step and exits 1 on the first that does
// not go as the document says.
//
// Environment: REGISTRY_URL, REGISTRY_KEY (an editor key), REGISTRY_NAME (a new name).
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

// The little of Node this needs, without @types/node.
declare const process: { env: Record<string, string | undefined>; exitCode?: number };

type EntityInput = components["schemas"]["EntityInput"];
type EntityPatch = components["schemas"]["EntityPatch"];

async function main(url: string, key: string, name: string): Promise<void> {
	const client = createClient<paths>({ baseUrl: url });
	const auth = { Authorization: `Bearer ${key}` };

	const input: EntityInput = { name, kind: "artisan", sectors: ["crafts"] };
	const created = await client.POST("/v1/entities", { body: input, headers: auth });
	if (!created.data) {
		throw new Error(`create: ${created.response.status} ${JSON.stringify(created.error)}`);
	}
	const slug = created.data.slug ?? "";
	console.log(`create: ${created.response.status}, slug ${slug}, version ${created.data.version}, Location ${created.response.headers.get("Location")}`);

	const read = await client.GET("/v1/entities/{id}", { params: { path: { id: slug } } });
	if (!read.data) {
		throw new Error(`read: ${read.response.status} ${JSON.stringify(read.error)}`);
	}
	const etag = read.response.headers.get("ETag") ?? "";
	console.log(`read: ${read.response.status}, name ${JSON.stringify(read.data.name)}, ETag ${etag}`);

	const patch: EntityPatch = { name_en: "TypeScript client workshop" };
	const patched = await client.PATCH("/v1/entities/{id}", {
		params: { path: { id: slug }, header: { "If-Match": etag } },
		body: patch,
		headers: auth,
	});
	if (!patched.data) {
		throw new Error(`patch: ${patched.response.status} ${JSON.stringify(patched.error)}`);
	}
	if (patched.data.name_en !== patch.name_en || patched.data.name !== name) {
		throw new Error(`patch: the entity is now ${JSON.stringify(patched.data)}`);
	}
	console.log(`patch: ${patched.response.status}, name_en ${JSON.stringify(patched.data.name_en)}, version ${patched.data.version}, ETag ${patched.response.headers.get("ETag")}`);

	const listed = await client.GET("/v1/entities", {
		params: { query: { sector: ["crafts"], kind: ["artisan"], q: name, limit: 5 } },
	});
	if (!listed.data) {
		throw new Error(`list: ${listed.response.status} ${JSON.stringify(listed.error)}`);
	}
	const page = listed.data.data ?? [];
	if (!page.some((e) => e.slug === slug)) {
		throw new Error(`list: ${listed.response.status} does not hold ${slug}: ${JSON.stringify(listed.data)}`);
	}
	console.log(`list sector=crafts kind=artisan q=${JSON.stringify(name)}: ${listed.response.status}, ${page.length} of ${listed.data.page?.total}, holds ${slug}`);
}

main(process.env.REGISTRY_URL ?? "", process.env.REGISTRY_KEY ?? "", process.env.REGISTRY_NAME ?? "").catch((err: unknown) => {
	console.log(`typescript client: ${err instanceof Error ? err.message : String(err)}`);
	process.exitCode = 1;
});
