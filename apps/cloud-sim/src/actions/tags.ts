import { z } from 'zod';
import { Ec2Error } from '../api/ec2-error';
import { listOf, tagList } from '../api/param-schemas';
import { parseActionParams } from '../api/query-params';
import type { ActionContext } from './action-context';
import { findInstances } from './instance-ids';
import { assertUserTagKeys, MAX_TAGS_PER_RESOURCE } from './tag-rules';

// CreateTags / DeleteTags on instances: one call, many resources, one set of tags.

const createTagsParams = z.object({
  ResourceId: listOf(z.string()).pipe(z.array(z.string()).min(1)),
  Tag: tagList.pipe(z.array(z.any()).min(1)),
});

const deleteTagsParams = z.object({
  ResourceId: listOf(z.string()).pipe(z.array(z.string()).min(1)),
  Tag: listOf(z.object({ Key: z.string(), Value: z.string().optional() })).optional(),
});

function taggableInstances(context: ActionContext, resourceIds: readonly string[]) {
  const other = resourceIds.find((id) => !id.startsWith('i-'));
  if (other !== undefined) {
    throw new Ec2Error('InvalidID', `The ID '${other}' is not valid (cloud-sim tags instances only)`);
  }
  return findInstances(context.state, resourceIds);
}

export function createTags(context: ActionContext): object {
  const params = parseActionParams(createTagsParams, context.params);
  const tags = params.Tag as Array<{ Key: string; Value?: string }>;
  assertUserTagKeys(tags.map((tag) => tag.Key));
  const instances = taggableInstances(context, params.ResourceId);
  for (const instance of instances) {
    const keys = new Set([...instance.tags.keys(), ...tags.map((tag) => tag.Key)]);
    if (keys.size > MAX_TAGS_PER_RESOURCE) {
      throw new Ec2Error('TagLimitExceeded', `The maximum number of tags (${MAX_TAGS_PER_RESOURCE}) for resource ${instance.instanceId} has been reached.`);
    }
  }
  for (const instance of instances) for (const tag of tags) instance.tags.set(tag.Key, tag.Value ?? '');
  return { return: true };
}

/** Without Tag.N every tag goes; a Tag with a Value only goes if the value matches. */
export function deleteTags(context: ActionContext): object {
  const params = parseActionParams(deleteTagsParams, context.params);
  const instances = taggableInstances(context, params.ResourceId);
  for (const instance of instances) {
    if (!params.Tag) {
      instance.tags.clear();
      continue;
    }
    for (const tag of params.Tag) {
      if (tag.Value === undefined || instance.tags.get(tag.Key) === tag.Value) instance.tags.delete(tag.Key);
    }
  }
  return { return: true };
}
