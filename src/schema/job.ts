import type { Prisma } from '../generated/prisma/client.js';
import { JobScopeType, JobStatus, JobType } from '../generated/prisma/enums.js';
import { limited } from '../auth/row-limits.js';
import { builder } from './builder.js';
import { databaseIdOf } from './global-id.js';

export const JobTypeEnum = builder.enumType(JobType, { name: 'JobType' });
export const JobStatusEnum = builder.enumType(JobStatus, { name: 'JobStatus' });
export const JobScopeTypeEnum = builder.enumType(JobScopeType, { name: 'JobScopeType' });

/** Newest first; `id` breaks ties so cursors are stable. */
const newestFirst = [{ createdAt: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }] satisfies Prisma.JobOrderByWithRelationInput[];

export const JobRef = builder.prismaNode('Job', {
  authScopes: { scope: 'internal:read' },
  id: { field: 'id' },
  fields: (t) => ({
    databaseId: t.exposeInt('id'),
    jobType: t.expose('jobType', { type: JobTypeEnum }),
    scopeType: t.expose('scopeType', { type: JobScopeTypeEnum }),
    status: t.expose('status', { type: JobStatusEnum }),
    priority: t.exposeInt('priority', { nullable: true }),
    attempts: t.exposeInt('attempts', { nullable: true }),
    maxAttempts: t.exposeInt('maxAttempts', { nullable: true }),
    inputJson: t.expose('inputJson', { type: 'JSON', nullable: true }),
    resultJson: t.expose('resultJson', { type: 'JSON', nullable: true }),
    logJson: t.expose('logJson', { type: 'JSON', nullable: true }),
    errorMessage: t.exposeString('errorMessage', { nullable: true }),
    scheduledFor: t.expose('scheduledFor', { type: 'DateTime', nullable: true }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    createdBy: t.exposeString('createdBy', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
    listing: t.relation('listing', { nullable: true }),
    asinEntity: t.relation('asinEntity', { nullable: true }),
    listingEvents: t.relatedConnection('listingEvents', {
      cursor: 'id',
      totalCount: true,
      query: () => ({ orderBy: [{ createdAt: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }] }),
    }),
  }),
});

const JobFilter = builder.inputType('JobFilter', {
  fields: (t) => ({
    status: t.field({ type: [JobStatusEnum] }),
    type: t.field({ type: [JobTypeEnum] }),
    listingId: t.id({ description: 'Global ID of a Listing.' }),
  }),
});

function jobWhere(filter: typeof JobFilter.$inferInput | null | undefined): Prisma.JobWhereInput {
  if (!filter) return {};
  const where: Prisma.JobWhereInput = {};
  if (filter.status) where.status = { in: filter.status };
  if (filter.type) where.jobType = { in: filter.type };
  if (filter.listingId != null) where.listingId = databaseIdOf(String(filter.listingId), 'Listing', 'filter.listingId');
  return where;
}

builder.queryFields((t) => ({
  // Nullable: each root field is its own access decision; a refused one answers null (FORBIDDEN) without wiping its siblings.
  jobs: t.prismaConnection({
    nullable: true,
    type: 'Job',
    cursor: 'id',
    authScopes: { scope: 'internal:read' },
    description: 'Jobs newest first (createdAt, then id).',
    args: { filter: t.arg({ type: JobFilter }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.job.findMany({ ...query, where: limited(ctx.viewer, 'Job', jobWhere(args.filter)), orderBy: newestFirst }),
    totalCount: (_connection, args, ctx) => ctx.prisma.job.count({ where: limited(ctx.viewer, 'Job', jobWhere(args.filter)) }),
  }),
}));

builder.prismaObjectFields('Listing', (t) => ({
  jobs: t.relatedConnection('jobs', {
    nullable: true,
    cursor: 'id',
    totalCount: true,
    authScopes: { scope: 'internal:read' },
    description: 'Jobs of this listing, newest first.',
    query: () => ({ orderBy: newestFirst }),
  }),
}));
